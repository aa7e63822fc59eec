; benchmark generated from python API
(set-info :status unknown)
(declare-fun n () Real)
(declare-fun p () Real)
(assert
 (and (<= (+ 1.0 (* (- 1.0) n)) 0.0)))
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (let ((?t0 (* p p)))
(let ((?t1 (* (- 1.0) ?t0)))
(let ((?t2 (* (- 1.0) p)))
(let (($t3 (<= (* ?t2 (+ n p ?t1 (* n ?t0) (* (- 2.0) n p))) 0.0)))
(and (and (< (+ (- 1.0) p) 0.0)) (or (and (not (and (and (distinct (+ 1.0 ?t2) 0.0) true) $t3))))))))))
(check-sat)
