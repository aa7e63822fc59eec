; x**(-1/kappa) >= 1: x^(-1/kappa) is decreasing on (0, oo) since -1/kappa < 0 on the domains, so it holds exactly when x <= 1
; x <= 1: the factor x - 1 is negative on the domains, so it holds exactly when 1 >= 0
; benchmark generated from python API
(set-info :status unknown)
(assert
 (or (and (not (>= 1.0 0.0)))))
(check-sat)
