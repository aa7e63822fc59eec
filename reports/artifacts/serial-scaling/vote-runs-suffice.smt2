; exp(-2*k*(q - 1/2)**2) <= delta: exp is increasing, so it holds exactly when -2*k*(q - 1/2)**2 <= log(delta)
; v = log(delta) lies in (-oo, 0) since delta ranges over (0, 1)
; the reduced claim holds for every value of the new variables in their ranges, so it implies the claim
; benchmark generated from python API
(set-info :status unknown)
(declare-fun k () Real)
(declare-fun q () Real)
(declare-fun v () Real)
(assert
 (and (< (* (- 1.0) k) 0.0)))
(assert
 (and (< (+ 1.0 (* (- 2.0) q)) 0.0)))
(assert
 (and (<= (+ (- 1.0) q) 0.0)))
(assert
 (and (< v 0.0)))
(assert
 (let ((?t0 (* (- 1.0) k)))
(let ((?t1 (+ ?t0 (* (- 2.0) v) (* (- 4.0) k (* q q)) (* 4.0 k q))))
(let ((?t2 (+ k (* 2.0 v) (* (- 4.0) k q) (* 4.0 k (* q q)))))
(and (and (and (distinct (+ (- 1.0) (* 2.0 q)) 0.0) true)) (and (>= ?t2 0.0)) (or (and (not (<= ?t1 0.0)))))))))
(check-sat)
