; 2**(b*t)*E0*P0/(b*log(2)) + E0*P0 - E0*P0/(b*log(2)) > 0: the factor E0*P0 is positive on the domains, so it holds exactly when 2**(b*t)/(b*log(2)) + 1 - 1/(b*log(2)) > 0
; 1 + (2**(b*t) - 1)/(b*log(2)) > 0: the factor 1 + (2**(b*t) - 1)/(b*log(2)) is positive on the domains, so it holds exactly when 1 > 0
; u = 2**(b*t) lies in [1, oo) since b*t ranges over [0, oo); every power 2^(b*t*q) becomes u^q
; c2 stands for 1/log(2), which lies in [1442695040888963407/1000000000000000000, 90168440055560213/62500000000000000]
; the reduced claim holds for every value of the new variables in their ranges, so it implies the claim
; benchmark generated from python API
(set-info :status unknown)
(declare-fun b () Real)
(declare-fun c2 () Real)
(declare-fun u () Real)
(assert
 (and (< (* (- 1.0) b) 0.0)))
(assert
 (and (<= (+ 1442695040888963407.0 (* (- 1000000000000000000.0) c2)) 0.0)))
(assert
 (and (<= (+ (- 90168440055560213.0) (* 62500000000000000.0 c2)) 0.0)))
(assert
 (and (<= (+ 1.0 (* (- 1.0) u)) 0.0)))
(assert
 (or (or (and (not (> (+ b (* (- 1.0) c2) (* c2 u)) 0.0)))) (or (and (not (> 1.0 0.0))))))
(check-sat)
