; benchmark generated from python API
(set-info :status unknown)
(declare-fun R0 () Real)
(declare-fun S () Real)
(declare-fun g () Real)
(declare-fun a_w () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R0)) 0.0)))
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (and (< (* (- 1.0) g) 0.0)))
(assert
 (let ((?t0 (+ a_w (* (- 1.0) (* a_w a_w)) (* R0 (* a_w a_w)) (* g (* a_w a_w)) (* (- 1.0) R0 a_w) (* (- 1.0) g (* a_w a_w a_w)) (* R0 S a_w))))
(and (and (>= (+ 1.0 (* (- 1.0) R0) (* R0 S)) 0.0)) (and (<= (* (- 1.0) a_w) 0.0)) (and (< (+ (- 1.0) a_w) 0.0)) (or (and (not (>= ?t0 0.0)))))))
(check-sat)
