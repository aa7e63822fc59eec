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
 (let ((?t0 (* R S)))
(let ((?t1 (* (- 1.0) R)))
(let ((?t2 (+ 1.0 ?t1 ?t0)))
(let (($t3 (< ?t2 0.0)))
(let (($t4 (and $t3)))
(let (($t5 (or (and (not $t3)))))
(or (and $t4 $t5) (and $t5 $t4)))))))))
(check-sat)
