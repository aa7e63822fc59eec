; benchmark generated from python API
(set-info :status unknown)
(declare-fun R () Real)
(declare-fun S () Real)
(declare-fun a_w () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R)) 0.0)))
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (let ((?t0 (+ a_w (* (- 1.0) (* a_w a_w)) (* R (* a_w a_w)) (* (- 1.0) R a_w) (* R S a_w))))
(and (and (>= (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)) (and (<= (* (- 1.0) a_w) 0.0)) (and (< (+ (- 1.0) a_w) 0.0)) (or (and (not (>= ?t0 0.0)))))))
(check-sat)
