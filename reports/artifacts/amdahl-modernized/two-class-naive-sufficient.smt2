; benchmark generated from python API
(set-info :status unknown)
(declare-fun R1 () Real)
(declare-fun R2 () Real)
(declare-fun S () Real)
(declare-fun f1 () Real)
(declare-fun f2 () Real)
(assert
 (and (< (+ 1.0 (* (- 1.0) R1)) 0.0)))
(assert
 (and (< (+ 1.0 (* (- 1.0) R2)) 0.0)))
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
 (let (($t0 (or (or (and (not (>= (+ S f1 (* (- 1.0) R1 f1)) 0.0)))) (or (and (not (>= (+ S f2 (* (- 1.0) R2 f2)) 0.0)))))))
(and (and (= (+ (- 1.0) S f1 f2) 0.0)) (and (>= (+ 1.0 (* (- 1.0) R1) (* R1 S)) 0.0)) (and (>= (+ 1.0 (* (- 1.0) R2) (* R2 S)) 0.0)) $t0)))
(check-sat)
