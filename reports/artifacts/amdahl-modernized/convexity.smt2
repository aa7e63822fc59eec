; benchmark generated from python API
(set-info :status unknown)
(declare-fun R () Real)
(declare-fun S () Real)
(declare-fun a () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R)) 0.0)))
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (and (<= (* (- 1.0) a) 0.0)))
(assert
 (and (< (+ (- 1.0) a) 0.0)))
(assert
 (let ((?t0 (* 6.0 a)))
(let ((?t1 (* 4.0 R)))
(let ((?t2 (* a a a)))
(let ((?t3 (* 2.0 ?t2)))
(let ((?t4 (* R R)))
(let ((?t5 (* (- 2.0) ?t4)))
(let ((?t6 (* a a)))
(let ((?t7 (* (- 6.0) ?t6)))
(let ((?t8 (+ (- 2.0) ?t7 ?t5 ?t3 ?t1 ?t0 (* (- 12.0) R a) (* (- 6.0) ?t4 ?t6) (* (- 4.0) R S) (* (- 4.0) R ?t2) (* 2.0 S ?t4) (* 2.0 ?t4 ?t2) (* 6.0 a ?t4) (* 12.0 R ?t6) (* (- 6.0) S a ?t4) (* (- 2.0) R S ?t2) (* (- 2.0) S (* R R R) ?t2) (* 4.0 S ?t4 ?t2) (* 6.0 R S a))))
(or (and (not (< ?t8 0.0))))))))))))))
(check-sat)
