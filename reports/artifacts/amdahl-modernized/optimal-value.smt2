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
 (let (($t0 (exists ((aux!0 Real) (aux!1 Real) (aux!2 Real) (aux!3 Real) )(let ((?t1 (+ (* (* R R R) (* aux!1 aux!1)) (* (- 1.0) (* R R) (* aux!1 aux!1)) (* S (* R R) (* aux!0 aux!0)) (* S (* R R) (* aux!1 aux!1)) (* aux!0 aux!1 (* R R)) (* (- 1.0) S (* R R R) (* aux!1 aux!1)) (* S aux!0 aux!1 (* R R R)) (* (- 1.0) aux!0 aux!1 (* R R) (* aux!2 aux!2)) (* (- 1.0) aux!0 aux!1 (* R R) (* aux!3 aux!3)) (* (- 2.0) S aux!0 aux!1 (* R R)) (* (- 2.0) aux!0 aux!1 aux!2 aux!3 (* R R)))))
(let (($t2 (and (and (distinct (* R aux!1) 0.0) true) (and (distinct (* R aux!0) 0.0) true) (= ?t1 0.0))))
(let (($t3 (>= aux!2 0.0)))
(let (($t4 (and $t3 (= (+ S (* aux!2 aux!2) (* (- 1.0) R S)) 0.0))))
(let (($t5 (>= aux!1 0.0)))
(let (($t6 (and $t5 (= (+ (* aux!1 aux!1) (* (- 1.0) S)) 0.0))))
(let (($t7 (= (+ 1.0 (* aux!0 aux!0) (* (- 1.0) R) (* (- 1.0) S) (* R S)) 0.0)))
(let (($t8 (>= aux!0 0.0)))
(let (($t9 (and $t8 $t7)))
(let (($t10 (and $t9 $t6 $t4 (and (>= aux!3 0.0) (= (+ (- 1.0) S (* aux!3 aux!3)) 0.0)) (not $t2))))
(let (($t11 (and $t9 $t6 $t4 (not (and (>= (+ 1.0 (* (- 1.0) S)) 0.0))))))
(let (($t12 (and $t9 $t6 (not (and (>= (+ (* (- 1.0) S) (* R S)) 0.0))))))
(or (and (not (and (>= (+ (- 1.0) R S (* (- 1.0) R S)) 0.0)))) (and $t9 (not (and (>= S 0.0)))) $t12 $t11 $t10))))))))))))))
))
(and (and (< (* (- 1.0) S) 0.0)) (and (< (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)) $t0)))
(check-sat)
