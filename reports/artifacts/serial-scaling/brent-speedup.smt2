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
 (let (($t0 (>= (+ (* W W) (* D W n) (* (- 1.0) Tn W n)) 0.0)))
(let (($t1 (and (<= (+ (* (- 1.0) W) (* Tn n) (* (- 1.0) D n)) 0.0))))
(and $t1 (or (and (not $t0)))))))
(check-sat)
