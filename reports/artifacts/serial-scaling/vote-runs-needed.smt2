; benchmark generated from python API
(set-info :status unknown)
(declare-fun q () Real)
(assert
 (and (< (+ 1.0 (* (- 2.0) q)) 0.0)))
(assert
 (and (<= (+ (- 1.0) q) 0.0)))
(assert
 (let (($t0 (or (and (not (and (distinct (+ (- 1.0) (* 2.0 q)) 0.0) true))))))
(or $t0 $t0)))
(check-sat)
