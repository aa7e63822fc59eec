; A/N2**alpha + B/D**beta + E < A/N1**alpha + B/D**beta + E: x^(-alpha) is decreasing on (0, oo) since -alpha < 0 on the domains, so it holds exactly when N2 > N1
; benchmark generated from python API
(set-info :status unknown)
(declare-fun N1 () Real)
(declare-fun N2 () Real)
(assert
 (and (< (* (- 1.0) N1) 0.0)))
(assert
 (and (< (* (- 1.0) N2) 0.0)))
(assert
 (and (and (< (+ N1 (* (- 1.0) N2)) 0.0)) (or (and (not (> (+ N2 (* (- 1.0) N1)) 0.0))))))
(check-sat)
