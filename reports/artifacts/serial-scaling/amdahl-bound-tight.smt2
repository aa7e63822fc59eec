; benchmark generated from python API
(set-info :status unknown)
(declare-fun p () Real)
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (let (($t0 (not (and (distinct (+ 1.0 (* (- 2.0) p) (* 2.0 (* p p))) 0.0) true))))
(let (($t1 (or (or (and (not (and (distinct (+ 1.0 (* (- 1.0) p)) 0.0) true)))) (or (and (not (and (distinct (+ (- 1.0) p) 0.0) true)))) (or (and $t0)))))
(and (and (< (+ (- 1.0) p) 0.0)) $t1))))
(check-sat)
