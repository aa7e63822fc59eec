; log(f)/(kappa*log(2)) >= 0: the factor log(f)/(kappa*log(2)) is positive on the domains, so it holds exactly when 1 >= 0
; benchmark generated from python API
(set-info :status unknown)
(assert
 (or (and (not (>= 1.0 0.0)))))
(check-sat)
