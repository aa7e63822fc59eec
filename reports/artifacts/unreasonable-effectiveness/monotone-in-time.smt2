; (1 + (2**(b*t) - 1)/(b*log(2)))**(-kappa) > 0: the factor (1 + (2**(b*t) - 1)/(b*log(2)))**(-kappa) is positive on the domains, so it holds exactly when 1 > 0 and both sides are defined
; -2**(b*t)*kappa/(1 + (2**(b*t) - 1)/(b*log(2))) < 0: the factor 2**(b*t)*kappa/(1 + (2**(b*t) - 1)/(b*log(2))) is negative on the domains, so it holds exactly when 1 > 0 and both sides are defined
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
 (let (($t0 (or (and (not (and (distinct (+ b (* (- 1.0) c2) (* c2 u)) 0.0) true))))))
(or (or (and (not (> (+ b (* (- 1.0) c2) (* c2 u)) 0.0)))) (or (and (not (> 1.0 0.0)))) $t0)))
(check-sat)
