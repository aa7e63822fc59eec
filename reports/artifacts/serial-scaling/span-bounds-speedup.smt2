; benchmark generated from python API
(set-info :status unknown)
(declare-fun D () Real)
(declare-fun Tn () Real)
(declare-fun W () Real)
(declare-fun n () Real)
(assert
 (and (< (* (- 1.0) D) 0.0)))
(assert
 (and (< (* (- 1.0) Tn) 0.0)))
(assert
 (and (< (* (- 1.0) W) 0.0)))
(assert
 (and (<= (+ 1.0 (* (- 1.0) n)) 0.0)))
(assert
 (let (($t0 (or (or (and (not (<= (+ W (* (- 1.0) Tn n)) 0.0)))) (or (and (not (<= (+ (* D W) (* (- 1.0) Tn W)) 0.0)))))))
(and (and (>= (+ (* (- 1.0) W) (* Tn n)) 0.0)) (and (>= (+ Tn (* (- 1.0) D)) 0.0)) $t0)))
(check-sat)
