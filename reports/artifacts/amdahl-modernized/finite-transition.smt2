; benchmark generated from python API
(set-info :status unknown)
(declare-fun R () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R)) 0.0)))
(assert
 (let (($t0 (or (and (not (>= (+ (- 1.0) R) 0.0))))))
(let (($t1 (exists ((aux!0 Real) (aux!1 Real) )(let (($t2 (>= aux!1 0.0)))
(let (($t3 (and $t2 (= (+ 1.0 (* (- 1.0) R) (* R (* aux!1 aux!1))) 0.0))))
(let (($t4 (>= aux!0 0.0)))
(let (($t5 (and $t4 (= (+ 1.0 (* (- 1.0) R) (* R (* aux!0 aux!0))) 0.0))))
(let (($t6 (and $t5 $t3 (not (and (distinct (+ aux!0 (* (- 1.0) aux!1) (* R aux!1)) 0.0) true)))))
(or (and (not (and (>= (+ (- 1.0) R) 0.0)))) (and $t5 (not (and (>= (+ (- 1.0) R) 0.0)))) $t6)))))))
))
(or $t1 $t0 $t0 (or (and (not (< (- 1.0) 0.0))))))))
(check-sat)
