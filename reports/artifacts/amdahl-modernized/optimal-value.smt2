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
 (let (($t0 (exists ((aux0 Real) (aux1 Real) (aux2 Real) (aux3 Real) )(let ((?t1 (+ (* (* R R R) (* aux1 aux1)) (* (- 1.0) (* R R) (* aux1 aux1)) (* S (* R R) (* aux0 aux0)) (* S (* R R) (* aux1 aux1)) (* aux0 aux1 (* R R)) (* (- 1.0) S (* R R R) (* aux1 aux1)) (* S aux0 aux1 (* R R R)) (* (- 1.0) aux0 aux1 (* R R) (* aux2 aux2)) (* (- 1.0) aux0 aux1 (* R R) (* aux3 aux3)) (* (- 2.0) S aux0 aux1 (* R R)) (* (- 2.0) aux0 aux1 aux2 aux3 (* R R)))))
(let (($t2 (and (and (distinct (* R aux1) 0.0) true) (and (distinct (* R aux0) 0.0) true) (= ?t1 0.0))))
(let (($t3 (>= aux2 0.0)))
(let (($t4 (and $t3 (= (+ S (* aux2 aux2) (* (- 1.0) R S)) 0.0))))
(let (($t5 (>= aux1 0.0)))
(let (($t6 (and $t5 (= (+ (* aux1 aux1) (* (- 1.0) S)) 0.0))))
(let (($t7 (= (+ 1.0 (* aux0 aux0) (* (- 1.0) R) (* (- 1.0) S) (* R S)) 0.0)))
(let (($t8 (>= aux0 0.0)))
(let (($t9 (and $t8 $t7)))
(let (($t10 (and $t9 $t6 $t4 (and (>= aux3 0.0) (= (+ (- 1.0) S (* aux3 aux3)) 0.0)) (not $t2))))
(let (($t11 (and $t9 $t6 $t4 (not (and (>= (+ 1.0 (* (- 1.0) S)) 0.0))))))
(let (($t12 (and $t9 $t6 (not (and (>= (+ (* (- 1.0) S) (* R S)) 0.0))))))
(or (and (not (and (>= (+ (- 1.0) R S (* (- 1.0) R S)) 0.0)))) (and $t9 (not (and (>= S 0.0)))) $t12 $t11 $t10))))))))))))))
))
(and (and (< (* (- 1.0) S) 0.0)) (and (< (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)) $t0)))
(check-sat)
