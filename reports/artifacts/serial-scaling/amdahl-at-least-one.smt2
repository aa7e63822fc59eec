; benchmark generated from python API
(set-info :status unknown)
(declare-fun n () Real)
(declare-fun p () Real)
(assert
 (and (<= (+ 1.0 (* (- 1.0) n)) 0.0)))
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (or (and (not (>= (+ (* (- 1.0) p) (* n p)) 0.0)))))
(check-sat)
