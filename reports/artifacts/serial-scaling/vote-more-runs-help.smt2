; exp(-2*j*(q - 1/2)**2) < exp(-2*k*(q - 1/2)**2): exp is increasing, so it holds exactly when -2*k*(q - 1/2)**2 > -2*j*(q - 1/2)**2
; -2*k*(q - 1/2)**2 > -2*j*(q - 1/2)**2: the factor (2*q - 1)**2 is positive on the domains, so it holds exactly when j/2 - k/2 > 0
; benchmark generated from python API
(set-info :status unknown)
(declare-fun k () Real)
(declare-fun j_w () Real)
(assert
 (and (< (* (- 1.0) k) 0.0)))
(assert
 (and (and (< (* (- 1.0) j_w) 0.0)) (and (> (+ j_w (* (- 1.0) k)) 0.0)) (or (and (not (> (+ j_w (* (- 1.0) k)) 0.0))))))
(check-sat)
