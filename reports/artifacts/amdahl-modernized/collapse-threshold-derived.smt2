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
 (let (($t0 (>= (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)))
(let (($t1 (and $t0)))
(let (($t2 (or (and (not $t0)))))
(or (and $t1 $t2) (and $t2 $t1))))))
(check-sat)
