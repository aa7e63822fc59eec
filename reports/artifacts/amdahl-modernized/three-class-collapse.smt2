; benchmark generated from python API
(set-info :status unknown)
(declare-fun R1 () Real)
(declare-fun R2 () Real)
(declare-fun R3 () Real)
(declare-fun S () Real)
(declare-fun f1 () Real)
(declare-fun f2 () Real)
(declare-fun f3 () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R1)) 0.0)))
(assert
 (and (< (+ 1.0 (* (- 1.0) R2)) 0.0)))
(assert
 (and (< (+ 1.0 (* (- 1.0) R3)) 0.0)))
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (and (<= (* (- 1.0) f1) 0.0)))
(assert
 (and (<= (+ (- 1.0) f1) 0.0)))
(assert
 (and (<= (* (- 1.0) f2) 0.0)))
(assert
 (and (<= (+ (- 1.0) f2) 0.0)))
(assert
 (and (<= (* (- 1.0) f3) 0.0)))
(assert
 (and (<= (+ (- 1.0) f3) 0.0)))
(assert
 (let (($t0 (>= (+ S f3 (* (- 1.0) R3 f3)) 0.0)))
(let (($t1 (and $t0)))
(let (($t2 (>= (+ S f2 (* (- 1.0) R2 f2)) 0.0)))
(let (($t3 (and $t2)))
(let (($t4 (>= (+ S f1 (* (- 1.0) R1 f1)) 0.0)))
(let (($t5 (and $t4)))
(let (($t6 (or (or (and (not $t4))) (or (and (not $t2))) (or (and (not $t0))))))
(and (and (= (+ (- 1.0) S f1 f2 f3) 0.0)) (or (and $t5 $t3 $t1 $t6) (and $t6 $t5 $t3 $t1)))))))))))
(check-sat)
