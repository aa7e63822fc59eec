; benchmark generated from python API
(set-info :status unknown)
(declare-fun R1 () Real)
(declare-fun S () Real)
(declare-fun f1 () Real)
(declare-fun f2 () Real)
(declare-fun a1_w () Real)
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
 (and (<= (* (- 1.0) f2) 0.0)))
(assert
 (and (<= (+ (- 1.0) f2) 0.0)))
(assert
 (let ((?t0 (* f1 a1_w)))
(let ((?t1 (* S a1_w)))
(let ((?t2 (+ ?t1 ?t0 (* (- 1.0) S (* a1_w a1_w)) (* (- 1.0) f1 (* a1_w a1_w)) (* R1 S (* a1_w a1_w)) (* R1 f1 (* a1_w a1_w)) (* (- 1.0) R1 f1 a1_w))))
(let (($t3 (and (and (<= (* (- 1.0) a1_w) 0.0)) (and (< (+ (- 1.0) a1_w) 0.0)) (or (and (not (>= ?t2 0.0)))) (and (>= (+ S f1 (* (- 1.0) R1 f1)) 0.0)))))
(let (($t4 (forall ((a1 Real) )(let ((?t5 (* f1 a1)))
(let ((?t6 (* S a1)))
(let ((?t7 (+ ?t6 ?t5 (* (- 1.0) S (* a1 a1)) (* (- 1.0) f1 (* a1 a1)) (* R1 S (* a1 a1)) (* R1 f1 (* a1 a1)) (* (- 1.0) R1 f1 a1))))
(let (($t8 (and (and (<= (* (- 1.0) a1) 0.0)) (and (< (+ (- 1.0) a1) 0.0)))))
(=> $t8 (and (>= ?t7 0.0))))))))
))
(let (($t9 (and $t4 (or (and (not (>= (+ S f1 (* (- 1.0) R1 f1)) 0.0)))))))
(or $t9 $t3))))))))
(check-sat)
