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
 (let (($t0 (> (* (+ (- 1.0) R (* (- 1.0) R S)) (+ 1.0 (* (- 1.0) S))) 0.0)))
(let (($t1 (and (and (distinct (+ 1.0 (* (- 1.0) S)) 0.0) true) $t0)))
(let (($t2 (forall ((a Real) )(let ((?t3 (+ a (* (- 1.0) (* a a)) (* R (* a a)) (* (- 1.0) R a) (* R S a))))
(let (($t4 (and (and (<= (* (- 1.0) a) 0.0)) (and (< (+ (- 1.0) a) 0.0)))))
(=> $t4 (and (>= ?t3 0.0))))))
))
(let ((?t5 (+ a_w (* (- 1.0) (* a_w a_w)) (* R (* a_w a_w)) (* (- 1.0) R a_w) (* R S a_w))))
(let (($t6 (and (and (<= (* (- 1.0) a_w) 0.0)) (and (< (+ (- 1.0) a_w) 0.0)) (or (and (not (>= ?t5 0.0)))) (or (and (not $t1))))))
(and (and (< (+ (- 1.0) S) 0.0)) (or $t6 (and $t2 (and $t1))))))))))
(check-sat)
