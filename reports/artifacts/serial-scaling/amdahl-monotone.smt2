; benchmark generated from python API
(set-info :status unknown)
(declare-fun n () Real)
(declare-fun p () Real)
(declare-fun m_w () Real)
(assert
 (and (<= (+ 1.0 (* (- 1.0) n)) 0.0)))
(assert
 (and (<= (* (- 1.0) p) 0.0)))
(assert
 (and (<= (+ (- 1.0) p) 0.0)))
(assert
 (and (and (<= (+ 1.0 (* (- 1.0) m_w)) 0.0)) (and (>= (+ m_w (* (- 1.0) n)) 0.0)) (or (and (not (>= (+ (* p m_w) (* (- 1.0) n p)) 0.0))))))
(check-sat)
