; benchmark generated from python API
(set-info :status unknown)
(declare-fun p () Real)
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (let (($t0 (not (and (and (distinct (+ 1.0 (* (- 1.0) p)) 0.0) true) (= 0.0 0.0)))))
(let (($t1 (not (and (distinct (+ 1.0 (* (- 2.0) p) (* 2.0 (* p p))) 0.0) true))))
(and (and (< (+ (- 1.0) p) 0.0)) (or (or (and $t1)) (or (and $t0)))))))
(check-sat)
