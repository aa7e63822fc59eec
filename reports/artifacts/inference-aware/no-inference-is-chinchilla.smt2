; benchmark generated from python API
(set-info :status unknown)
(declare-fun N () Real)
(declare-fun Ctr_1 () Real)
(assert
 (let ((?t0 (* (- 1.0) N)))
 (let (($t1 (< ?t0 0.0)))
 (and $t1))))
(assert
 (let (($t2 (or (and (not (< (* (- 1.0) N) 0.0))))))
(and (or $t2 (and (< (* (- 1.0) Ctr_1) 0.0))) (or (or (and (not (= 0.0 0.0)))) $t2))))
(check-sat)
