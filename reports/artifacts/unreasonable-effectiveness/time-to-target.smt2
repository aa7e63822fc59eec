; y = x**(1/kappa) maps x's domain (0, 1) one-to-one onto (0, 1) (1/kappa is positive on the domains); x = y**kappa, so every x**(r/kappa) (r rational) becomes y**r and log(x) becomes kappa*log(y), each defined wherever it was
; b*(-1 + 1/y)*log(2) + 1 > 0: the factor b*(-1 + 1/y)*log(2) + 1 is positive on the domains, so it holds exactly when 1 > 0
; (-kappa*log(y) + kappa*log(b*log(2) + y*(-b*log(2) + 1)))/(b*kappa*log(2)) >= 0: log is increasing on (0, oo), so it holds exactly when y <= b*log(2) + y*(-b*log(2) + 1) and both sides are defined
; c2 stands for log(2), which lies in [693147180559945309/1000000000000000000, 69314718055994531/100000000000000000]
; the reduced claim holds for every value of the new variables in their ranges, so it implies the claim
; benchmark generated from python API
(set-info :status unknown)
(declare-fun b () Real)
(declare-fun c2 () Real)
(declare-fun y () Real)
(assert
 (and (< (* (- 1.0) b) 0.0)))
(assert
 (and (<= (+ 693147180559945309.0 (* (- 1000000000000000000.0) c2)) 0.0)))
(assert
 (and (<= (+ (- 69314718055994531.0) (* 100000000000000000.0 c2)) 0.0)))
(assert
 (and (< (* (- 1.0) y) 0.0)))
(assert
 (and (< (+ (- 1.0) y) 0.0)))
(assert
 (let (($t0 (or (and (not (<= (+ (* (- 1.0) b c2) (* b c2 y)) 0.0))))))
(let (($t1 (and (not (> (+ y (* b c2) (* (- 1.0) b c2 y)) 0.0)))))
(or (or $t1) (or (and (not (> 1.0 0.0)))) $t0))))
(check-sat)
