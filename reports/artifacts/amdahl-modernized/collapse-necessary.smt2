; benchmark generated from python API
(set-info :status unknown)
(declare-fun R () Real)
(declare-fun S () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R)) 0.0)))
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (and (and (< (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)) (and (>= (+ 1.0 (* (- 1.0) R) (* R S)) 0.0))))
(check-sat)
