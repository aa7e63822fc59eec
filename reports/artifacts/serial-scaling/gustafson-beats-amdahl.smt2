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
 (let ((?t0 (+ p (* (- 1.0) (* p p)) (* p (* n n)) (* (- 1.0) (* n n) (* p p)) (* (- 2.0) n p) (* 2.0 n (* p p)))))
(or (and (not (>= ?t0 0.0))))))
(check-sat)
