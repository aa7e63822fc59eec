; benchmark generated from python API
(set-info :status unknown)
(declare-fun R1 () Real)
(declare-fun S () Real)
(declare-fun f1 () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R1)) 0.0)))
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (and (<= (* (- 1.0) f1) 0.0)))
(assert
 (and (<= (+ (- 1.0) f1) 0.0)))
(assert
 (let (($t0 (>= (+ S f1 (* (- 1.0) R1 f1)) 0.0)))
(let (($t1 (and $t0)))
(let (($t2 (or (and (not $t0)))))
(or (and $t1 $t2) (and $t2 $t1))))))
(check-sat)
