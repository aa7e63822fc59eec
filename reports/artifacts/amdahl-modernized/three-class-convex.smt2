; benchmark generated from python API
(set-info :status unknown)
(declare-fun S () Real)
(declare-fun b1 () Real)
(declare-fun b2 () Real)
(declare-fun b3 () Real)
(declare-fun f1 () Real)
(declare-fun f2 () Real)
(declare-fun f3 () Real)
(assert
 (and (<= (* (- 1.0) S) 0.0)))
(assert
 (and (<= (+ (- 1.0) S) 0.0)))
(assert
 (let (($t0 (<= (* (- 1.0) b1) 0.0)))
 (and $t0)))
(assert
 (let ((?t1 (+ (- 1.0) b1)))
 (let (($t2 (< ?t1 0.0)))
 (and $t2))))
(assert
 (let (($t3 (<= (* (- 1.0) b2) 0.0)))
 (and $t3)))
(assert
 (let ((?t4 (+ (- 1.0) b2)))
 (let (($t5 (< ?t4 0.0)))
 (and $t5))))
(assert
 (let (($t6 (<= (* (- 1.0) b3) 0.0)))
 (and $t6)))
(assert
 (let ((?t7 (+ (- 1.0) b3)))
 (let (($t8 (< ?t7 0.0)))
 (and $t8))))
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
 (let (($t9 (or (or (and (not (<= (* (- 1.0) b1) 0.0)))) (or (and (not (< (+ (- 1.0) b1) 0.0)))) (or (and (not (<= (* (- 1.0) b2) 0.0)))) (or (and (not (< (+ (- 1.0) b2) 0.0)))) (or (and (not (<= (* (- 1.0) b3) 0.0)))) (or (and (not (< (+ (- 1.0) b3) 0.0)))) (or (and (not (< (+ (- 1.0) b1 b2 b3) 0.0)))))))
(and (and (= (+ (- 1.0) S f1 f2 f3) 0.0)) (and (< (+ (- 1.0) b1 b2 b3) 0.0)) $t9)))
(check-sat)
