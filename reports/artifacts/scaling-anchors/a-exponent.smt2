; (A*C**beta*alpha/(6**beta*B*beta))**(1/(alpha + beta)) > 0: the factor (A*C**beta*alpha/(B*beta))**(1/(alpha + beta))/6**(beta/(alpha + beta)) is positive on the domains, so it holds exactly when 1 > 0
; benchmark generated from python API
(set-info :status unknown)
(declare-fun alpha () Real)
(declare-fun beta () Real)
(assert
 (and (< (* (- 1.0) alpha) 0.0)))
(assert
 (and (< (* (- 1.0) beta) 0.0)))
(assert
 (or (or (and (not (> 1.0 0.0)))) (or (and (not (= 0.0 0.0))))))
(check-sat)
