; benchmark generated from python API
(set-info :status unknown)
(declare-fun p () Real)
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (and (and (< (+ (- 1.0) p) 0.0)) (or (and (not (and (distinct (+ 1.0 (* (- 1.0) p)) 0.0) true))))))
(check-sat)
