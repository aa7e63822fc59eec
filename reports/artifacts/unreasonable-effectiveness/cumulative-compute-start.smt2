; log(2) != 0: the factor log(2) is positive on the domains, so it holds exactly when 1 != 0
; benchmark generated from python API
(set-info :status unknown)
(assert
 (or (and (not (and (distinct 1.0 0.0) true)))))
(check-sat)
