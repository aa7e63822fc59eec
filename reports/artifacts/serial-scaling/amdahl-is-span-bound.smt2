; benchmark generated from python API
(set-info :status unknown)
(declare-fun W () Real)
(declare-fun p () Real)
(assert
 (and (< (* (- 1.0) W) 0.0)))
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (let (($t0 (not (and (and (distinct (+ 1.0 (* (- 1.0) p)) 0.0) true) (= 0.0 0.0)))))
(and (and (< (+ (- 1.0) p) 0.0)) (or (or (and (not (and (distinct W 0.0) true)))) (or (and $t0))))))
(check-sat)
