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
 (let (($t0 (forall ((a Real) )(let ((?t1 (+ a (* (- 1.0) (* a a)) (* R (* a a)) (* (- 1.0) R a) (* R S a))))
(let (($t2 (and (and (<= (* (- 1.0) a) 0.0)) (and (< (+ (- 1.0) a) 0.0)))))
(=> $t2 (and (>= ?t1 0.0))))))
))
(and (and (< (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)) $t0)))
(check-sat)
