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
 (let (($t0 (or (and (not (and (distinct (+ 1.0 (* (- 1.0) p) (* n p)) 0.0) true))))))
(or (or (and (not (and (distinct 1.0 0.0) true)))) $t0)))
(check-sat)
