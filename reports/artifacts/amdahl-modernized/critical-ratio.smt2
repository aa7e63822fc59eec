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
 (let (($t0 (> (* (+ (- 1.0) R (* (- 1.0) R S)) (+ 1.0 (* (- 1.0) S))) 0.0)))
(let (($t1 (and (and (distinct (+ 1.0 (* (- 1.0) S)) 0.0) true) $t0)))
(let (($t2 (and (and (>= (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)) (and $t1))))
(let (($t3 (and (or (and (not (>= (+ 1.0 (* (- 1.0) R) (* R S)) 0.0)))) (or (and (not $t1))))))
(and (and (< (+ (- 1.0) S) 0.0)) (or $t3 $t2)))))))
(check-sat)
