; benchmark generated from python API
(set-info :status unknown)
(declare-fun S () Real)
(declare-fun b1 () Real)
(declare-fun b2 () Real)
(declare-fun f1 () Real)
(declare-fun f2 () Real)
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
 (and (<= (* (- 1.0) f1) 0.0)))
(assert
 (and (<= (+ (- 1.0) f1) 0.0)))
(assert
 (and (<= (* (- 1.0) f2) 0.0)))
(assert
 (and (<= (+ (- 1.0) f2) 0.0)))
(assert
 (let (($t6 (or (or (and (not (<= (* (- 1.0) b1) 0.0)))) (or (and (not (< (+ (- 1.0) b1) 0.0)))) (or (and (not (<= (* (- 1.0) b2) 0.0)))) (or (and (not (< (+ (- 1.0) b2) 0.0)))) (or (and (not (< (+ (- 1.0) b1 b2) 0.0)))))))
(and (and (= (+ (- 1.0) S f1 f2) 0.0)) (and (< (+ (- 1.0) b1 b2) 0.0)) $t6)))
(check-sat)
