; 2*q - 1 != 0: the factor 2*q - 1 is positive on the domains, so it holds exactly when 1 != 0
; q - 1/2 != 0: the factor q - 1/2 is positive on the domains, so it holds exactly when 1 != 0
; log(delta)/(2*q - 1)**2 < 0: the factor log(delta)/(2*q - 1)**2 is negative on the domains, so it holds exactly when 1 > 0 and both sides are defined
; benchmark generated from python API
(set-info :status unknown)
(declare-fun q () Real)
(assert
 (and (< (+ 1.0 (* (- 2.0) q)) 0.0)))
(assert
 (and (<= (+ (- 1.0) q) 0.0)))
(assert
 (let (($t0 (not (and (distinct (+ 1.0 (* (- 4.0) q) (* 4.0 (* q q))) 0.0) true))))
(or (or (and (not (and (distinct 1.0 0.0) true)))) (or (and (not (and (distinct (+ (- 1.0) (* 2.0 q)) 0.0) true)))) (or (and (not (> 1.0 0.0)))) (or (and $t0)))))
(check-sat)
