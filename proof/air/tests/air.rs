//! The symbolic analysis, the row checker and the selectors' extensions.

use agentic_air::{
	analyze, check_trace, combine, combine_with_leaves, selectors_at, Air, AirBuilder, AirError, Base,
	BinaryFieldElement, Ext, Lanes, RowViolation, Selector, Values, LANES,
};

/// An AIR given by a closure, for one-off constraint sets.
struct Fn<F>(usize, F);

/// The constraint sets under test, each a function over any builder.
trait Constraints {
	fn apply<AB: AirBuilder>(&self, b: &mut AB);
}

impl<C: Constraints> Air for Fn<C> {
	fn width(&self) -> usize {
		self.0
	}
	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		self.1.apply(b)
	}
}

macro_rules! constraints {
	($name:ident, |$b:ident| $body:block) => {
		struct $name;
		impl Constraints for $name {
			fn apply<AB: AirBuilder>(&self, $b: &mut AB) $body
		}
	};
}

constraints!(Mixed, |b| {
	b.assert_bool(b.cur(0));
	b.assert_transition(b.next(1) + b.cur(0) * b.cur(1) * b.cur(2));
	b.assert_zero(b.selector(Selector::First) * b.cur(2));
});

#[test]
fn analysis_reports_degrees_next_columns_and_unused_columns() {
	let info = analyze(&Fn(4, Mixed)).expect("valid AIR");
	let degrees: Vec<(bool, u32)> = info.constraints.iter().map(|c| (c.transition, c.degree)).collect();
	assert_eq!(degrees, vec![(false, 2), (true, 4), (false, 2)]);
	assert_eq!(info.max_degree, 4);
	assert_eq!(info.next_columns, vec![1]);
	assert_eq!(info.unused_columns, vec![3]);
}

constraints!(Zero1, |b| {
	b.assert_bool(b.cur(0));
	b.assert_zero(b.cur(1) + b.cur(1));
});
constraints!(Zero2, |b| {
	b.assert_zero(b.cur(0) * b.cur(1) + b.cur(1) * b.cur(0));
});
constraints!(NotZero, |b| {
	// x² + x is zero on bits but not the zero polynomial: it constrains x to be a bit.
	b.assert_zero(b.cur(0) * b.cur(0) + b.cur(0));
});
constraints!(NextEveryRow, |b| {
	b.assert_zero(b.next(0) + b.cur(0));
});
constraints!(OutOfRange, |b| {
	b.assert_zero(b.cur(0) * b.cur(2));
});
constraints!(NextOutOfRange, |b| {
	b.assert_transition(b.next(5));
});
constraints!(TooHigh, |b| {
	let mut e = b.cur(0);
	for _ in 0..16 {
		e = e * b.cur(0);
	}
	b.assert_zero(e);
});
constraints!(JustBelow, |b| {
	let mut e = b.cur(0);
	for _ in 0..14 {
		e = e * b.cur(0);
	}
	b.assert_transition(e);
});
constraints!(Nothing, |_b| {});
constraints!(LastComplement, |b| {
	// `last + not_last + 1` vanishes wherever `not_last = 1 + last`, as the verifier defines it.
	b.assert_zero(b.selector(Selector::Last) + b.selector(Selector::NotLast) + b.one());
});
constraints!(HugeColumn, |b| {
	b.assert_zero(b.cur((1usize << 32) + 1));
});

#[test]
fn analysis_refuses_malformed_airs() {
	assert_eq!(analyze(&Fn(2, Zero1)), Err(AirError::ZeroConstraint { constraint: 1 }));
	assert_eq!(analyze(&Fn(2, Zero2)), Err(AirError::ZeroConstraint { constraint: 0 }));
	assert!(analyze(&Fn(1, NotZero)).is_ok());
	assert_eq!(analyze(&Fn(1, NextEveryRow)), Err(AirError::NextOutsideTransition { constraint: 0 }));
	assert_eq!(analyze(&Fn(2, OutOfRange)), Err(AirError::ColumnOutOfRange { constraint: 0, column: 2 }));
	assert_eq!(analyze(&Fn(2, NextOutOfRange)), Err(AirError::ColumnOutOfRange { constraint: 0, column: 5 }));
	assert_eq!(analyze(&Fn(1, TooHigh)), Err(AirError::DegreeTooHigh { constraint: 0, degree: 17 }));
	assert_eq!(analyze(&Fn(1, JustBelow)).map(|i| i.max_degree), Ok(16));
	assert_eq!(analyze(&Fn(1, Nothing)), Err(AirError::BadConstraintCount(0)));
	assert_eq!(analyze(&Fn(1, LastComplement)), Err(AirError::ZeroConstraint { constraint: 0 }));
	assert!(matches!(analyze(&Fn(2, HugeColumn)), Err(AirError::ColumnOutOfRange { constraint: 0, .. })));
	assert_eq!(analyze(&Fn(0, NotZero)), Err(AirError::BadWidth(0)));
}

constraints!(ConstA, |b| {
	b.assert_zero(b.cur(0) + b.constant(Base::from_value(2)));
});
constraints!(ConstB, |b| {
	b.assert_zero(b.cur(0) + b.constant(Base::from_value(3)));
});
constraints!(Transition, |b| {
	b.assert_transition(b.cur(0) + b.constant(Base::from_value(2)));
});

#[test]
fn the_encoding_identifies_the_air() {
	let a = analyze(&Fn(1, ConstA)).unwrap().encoding;
	assert_eq!(a, analyze(&Fn(1, ConstA)).unwrap().encoding, "deterministic");
	assert_ne!(a, analyze(&Fn(1, ConstB)).unwrap().encoding, "another constant");
	assert_ne!(a, analyze(&Fn(2, ConstA)).unwrap().encoding, "another width");
	assert_ne!(a, analyze(&Fn(1, Transition)).unwrap().encoding, "another kind");
}

/// The start of an AIR's encoding: the version tag and the width.
fn encoding_header(width: u32) -> Vec<u8> {
	let mut encoding = b"agentic-air-v4".to_vec();
	encoding.extend_from_slice(&width.to_le_bytes());
	encoding
}

/// An encoding's record: a tag and its values.
fn record(encoding: &mut Vec<u8>, tag: u8, values: &[u32]) {
	encoding.push(tag);
	values.iter().for_each(|v| encoding.extend_from_slice(&v.to_le_bytes()));
}

// A subexpression used twice, one never used, and a transition.
constraints!(Shared, |b| {
	let _unused = b.cur(0) * b.cur(0);
	let x = b.cur(0) + b.cur(1);
	b.assert_zero(x.clone() * x);
	b.assert_transition(b.next(1) + b.constant(Base::from_value(5)));
});

/// The encoding's node list is the graph flattened from the roots in order, depth first, the
/// left operand first, each node once (by identity) and only nodes a root reaches: pinned
/// byte for byte, since every proof absorbs it.
#[test]
fn the_encoding_is_the_graph_flattened_from_the_roots() {
	let mut want = encoding_header(2);
	want.extend_from_slice(&7u32.to_le_bytes());
	record(&mut want, 1, &[0]); // 0: cur(0)
	record(&mut want, 1, &[1]); // 1: cur(1)
	record(&mut want, 4, &[0, 1]); // 2: x
	record(&mut want, 5, &[2, 2]); // 3: x · x
	record(&mut want, 2, &[1]); // 4: next(1)
	record(&mut want, 0, &[5]); // 5: 5
	record(&mut want, 4, &[4, 5]); // 6: next(1) + 5
	want.extend_from_slice(&2u32.to_le_bytes());
	record(&mut want, 0, &[3]);
	record(&mut want, 1, &[6]);
	want.extend_from_slice(&0u32.to_le_bytes()); // no interactions
	want.extend_from_slice(&0u32.to_le_bytes()); // no bit columns
	assert_eq!(analyze(&Fn(2, Shared)).unwrap().encoding, want);
}

// Operands created right before left, a root reusing a node created before the first root,
// two separately created `cur(0)` both reached, and an interaction with an `E` constant.
constraints!(Reordered, |b| {
	let early = b.cur(1) * b.cur(1);
	let y = b.cur(1);
	let x = b.cur(0);
	b.assert_zero(x * y + b.cur(0));
	b.assert_zero(early + b.cur(0));
	b.interact(3, agentic_air::Direction::Send, b.cur(0), &[b.constant_ext(Ext::from_value(7 << 64))]);
	b.assert_bit_column(1);
	b.assert_bit_column(0);
	b.assert_bit_column(1);
});

/// The flattening follows the roots, not the order the nodes were created in.
#[test]
fn the_encoding_follows_the_roots_not_the_creation_order() {
	let mut want = encoding_header(2);
	want.extend_from_slice(&12u32.to_le_bytes());
	record(&mut want, 1, &[0]); // 0: x = cur(0)
	record(&mut want, 1, &[1]); // 1: y = cur(1)
	record(&mut want, 5, &[0, 1]); // 2: x · y
	record(&mut want, 1, &[0]); // 3: another cur(0)
	record(&mut want, 4, &[2, 3]); // 4: root 0
	record(&mut want, 1, &[1]); // 5: cur(1), created first
	record(&mut want, 1, &[1]); // 6: cur(1)
	record(&mut want, 5, &[5, 6]); // 7: early
	record(&mut want, 1, &[0]); // 8: cur(0)
	record(&mut want, 4, &[7, 8]); // 9: root 1
	record(&mut want, 1, &[0]); // 10: the gate
	want.push(6); // 11: the field, an E constant
	want.extend_from_slice(&(7u128 << 64).to_le_bytes());
	want.extend_from_slice(&2u32.to_le_bytes());
	record(&mut want, 0, &[4]);
	record(&mut want, 0, &[9]);
	want.extend_from_slice(&1u32.to_le_bytes());
	want.extend_from_slice(&3u32.to_le_bytes());
	want.push(0);
	want.extend_from_slice(&10u32.to_le_bytes());
	want.extend_from_slice(&1u32.to_le_bytes());
	want.extend_from_slice(&11u32.to_le_bytes());
	// The bit columns, in increasing order, each once.
	for word in [2u32, 0, 1] {
		want.extend_from_slice(&word.to_le_bytes());
	}
	let info = analyze(&Fn(2, Reordered)).unwrap();
	assert_eq!(info.encoding, want);
	assert_eq!(info.bit_columns, vec![0, 1]);
}

constraints!(OneBit, |b| {
	b.assert_zero(b.cur(0) * b.cur(1) + b.cur(2));
	b.assert_bit_column(0);
});

constraints!(OtherBit, |b| {
	b.assert_zero(b.cur(0) * b.cur(1) + b.cur(2));
	b.assert_bit_column(1);
});

/// Which columns are declared bits is part of the AIR's identity (it decides what is packed).
#[test]
fn the_bit_columns_are_in_the_encoding() {
	let (one, other) = (analyze(&Fn(3, OneBit)).unwrap(), analyze(&Fn(3, OtherBit)).unwrap());
	assert_eq!((one.bit_columns.clone(), other.bit_columns.clone()), (vec![0], vec![1]));
	assert_ne!(one.encoding, other.encoding);
	assert_eq!(one.constraints, other.constraints);
}

// One constraint, a sum of 200,001 terms (column 0, an odd number of times): deeper than any
// recursion over the graph could go.
constraints!(LongSum, |b| {
	let mut sum = b.cur(0);
	for _ in 0..200_000 {
		sum = sum + b.cur(0);
	}
	b.assert_zero(sum);
});

#[test]
fn a_long_chain_of_operations_analyzes() {
	let info = analyze(&Fn(1, LongSum)).expect("a degree-1 constraint");
	assert_eq!(info.constraints[0].degree, 1);
	assert_eq!(info.encoding.len(), 14 + 8 + 400_001 * 5 + 200_000 * 4 + 4 + 5 + 4 + 4);
}

// A two-column AIR: column 1 is the running XOR of column 0 (`next(s) = s + next(a)`), and
// every value of column 0 is a bit.
constraints!(RunningXor, |b| {
	b.assert_bool(b.cur(0));
	b.assert_transition(b.next(1) + b.cur(1) + b.next(0));
});

fn running_xor(bits: &[u32]) -> Vec<Vec<Base>> {
	let mut sum = 0;
	let mut s = Vec::new();
	for (i, &a) in bits.iter().enumerate() {
		if i == 0 {
			sum = a;
		} else {
			sum ^= a;
		}
		s.push(Base::from_value(sum));
	}
	vec![bits.iter().map(|&a| Base::from_value(a)).collect(), s]
}

#[test]
fn the_row_checker_names_the_first_violation() {
	let air = Fn(2, RunningXor);
	let good = running_xor(&[1, 0, 1, 1, 0, 0, 1, 0]);
	assert_eq!(check_trace(&air, &good, 7), Ok(()));
	let mut bad = good.clone();
	bad[0][5] = Base::from_value(2);
	// Row 4's transition reads next(a) = 2 and row 5 has a non-bit.
	assert_eq!(check_trace(&air, &bad, 7), Err(RowViolation { row: 4, constraint: 1 }));
	// The last row and rows at or above R are not transitions.
	let mut tail = good.clone();
	tail[1][7] = Base::from_value(9);
	assert_eq!(check_trace(&air, &tail, 6), Ok(()));
	assert_eq!(check_trace(&air, &tail, 7), Err(RowViolation { row: 6, constraint: 1 }));
}

/// The checker takes eight rows at a time: violations across and at the ends of its groups of
/// rows are named as row by row, the first one first.
#[test]
fn the_row_checker_names_the_first_violation_across_groups_of_rows() {
	let air = Fn(2, RunningXor);
	let bits: Vec<u32> = (0..32u32).map(|i| (i * 7 + i / 3) % 2).collect();
	let good = running_xor(&bits);
	assert_eq!(check_trace(&air, &good, 31), Ok(()));
	let changed = |changes: &[(usize, usize, u32)]| {
		let mut trace = good.clone();
		for &(column, row, value) in changes {
			trace[column][row] = Base::from_value(value);
		}
		trace
	};
	// A non-bit on row 8: row 7's transition (the last of the first group) reads it first.
	assert_eq!(check_trace(&air, &changed(&[(0, 8, 2)]), 31), Err(RowViolation { row: 7, constraint: 1 }));
	// Row 16's sum: row 15's transition, reading the next group.
	assert_eq!(check_trace(&air, &changed(&[(1, 16, 5)]), 31), Err(RowViolation { row: 15, constraint: 1 }));
	// Inside a group, and two groups with violations: the first row is named.
	assert_eq!(
		check_trace(&air, &changed(&[(1, 21, 5), (0, 12, 3)]), 31),
		Err(RowViolation { row: 11, constraint: 1 })
	);
	// A non-bit on row 13 with its sum kept consistent: row 13's own booleanity.
	let mut kept = changed(&[(0, 13, 2)]);
	for row in 13..32 {
		let previous = kept[1][row - 1].poly().value();
		kept[1][row] = Base::from_value(previous ^ kept[0][row].poly().value());
	}
	assert_eq!(check_trace(&air, &kept, 31), Err(RowViolation { row: 13, constraint: 0 }));
	// The last row: a transition only below R.
	assert_eq!(check_trace(&air, &changed(&[(1, 31, 9)]), 31), Err(RowViolation { row: 30, constraint: 1 }));
	assert_eq!(check_trace(&air, &changed(&[(1, 31, 9)]), 30), Ok(()));
}

fn ext(rng: &mut u64) -> Ext {
	let mut next = || {
		*rng ^= *rng << 13;
		*rng ^= *rng >> 7;
		*rng ^= *rng << 17;
		*rng
	};
	Ext::from_value(((next() as u128) << 64) | next() as u128)
}

/// `Σ_i table[i] eq(point, i)`, from the definition.
fn mle(table: &[bool], point: &[Ext]) -> Ext {
	let mut total = Ext::zero();
	for (i, &t) in table.iter().enumerate() {
		if !t {
			continue;
		}
		let mut eq = Ext::one();
		for (j, x) in point.iter().enumerate() {
			eq = eq.mul(&if (i >> j) & 1 == 1 { *x } else { Ext::one().add(x) });
		}
		total = total.add(&eq);
	}
	total
}

#[test]
fn selectors_are_the_extensions_of_their_tables() {
	let mut rng = 0x1234_5678_u64;
	for n in 1..=6usize {
		let rows = 1usize << n;
		for r in 1..rows as u64 {
			let point: Vec<Ext> = (0..n).map(|_| ext(&mut rng)).collect();
			let expected = [
				mle(&(0..rows).map(|i| i == 0).collect::<Vec<_>>(), &point),
				mle(&(0..rows).map(|i| i + 1 == rows).collect::<Vec<_>>(), &point),
				mle(&(0..rows).map(|i| i + 1 != rows).collect::<Vec<_>>(), &point),
				mle(&(0..rows).map(|i| (i as u64) < r).collect::<Vec<_>>(), &point),
			];
			assert_eq!(selectors_at(&point, r), expected, "n {n} R {r}");
		}
	}
}

#[test]
fn combine_at_a_row_is_the_weighted_sum_of_the_row_checker_values() {
	// On a boolean row the combination with weights e_j is constraint j's value.
	let air = Fn(2, RunningXor);
	let cur = [Ext::from(Base::from_value(2)), Ext::from(Base::from_value(5))];
	let next = [Ext::from(Base::from_value(1)), Ext::from(Base::from_value(7))];
	let selectors = [Ext::zero(), Ext::zero(), Ext::one(), Ext::one()];
	let values = Values { cur: &cur, next: &next, selectors, index_bits: &[], challenges: &[] };
	let c0 = combine(&air, values, &[Ext::one(), Ext::zero()]).unwrap();
	let c1 = combine(&air, values, &[Ext::zero(), Ext::one()]).unwrap();
	assert_eq!(c0, Ext::from(Base::from_value(2).mul(&Base::from_value(2)).add(&Base::from_value(2))));
	assert_eq!(c1, Ext::from(Base::from_value(7 ^ 5 ^ 1)));
	// An inactive row drops the transition constraint.
	let inactive = Values { selectors: [Ext::zero(), Ext::zero(), Ext::one(), Ext::zero()], ..values };
	assert_eq!(combine(&air, inactive, &[Ext::zero(), Ext::one()]), Ok(Ext::zero()));
	// One weight per constraint, no more, no fewer.
	let expected = Err(AirError::ConstraintCountChanged { expected: 1, found: 2 });
	assert_eq!(combine(&air, values, &[Ext::one()]), expected);
}

constraints!(Bus, |b| {
	b.assert_bool(b.cur(2));
	// Gate of degree 1, fields of degree 2: each factor has degree 3.
	b.interact(5, agentic_air::Direction::Send, b.cur(2), &[b.cur(0) * b.cur(1), b.cur(0)]);
	b.interact(5, agentic_air::Direction::Receive, b.cur(2), &[b.cur(1)]);
	b.interact(6, agentic_air::Direction::Receive, b.one(), &[b.cur(3)]);
});

// Constraints and interactions together (the bus AIR's, plus a transition on `next` and an
// index bit), for comparing the evaluators.
constraints!(Everything, |b| {
	b.assert_bool(b.cur(2));
	b.assert_transition(b.next(1) + b.cur(0) * b.cur(1) * b.index_bit(1));
	b.assert_zero(b.selector(Selector::First) * b.cur(3) + b.constant(Base::from_value(7)));
	b.interact(5, agentic_air::Direction::Send, b.cur(2), &[b.cur(0) * b.cur(1), b.cur(0)]);
	b.interact(5, agentic_air::Direction::Receive, b.cur(2), &[b.cur(1)]);
	b.interact(6, agentic_air::Direction::Receive, b.one(), &[b.cur(3)]);
});

#[test]
fn lanes_evaluate_each_point_as_the_single_point_evaluator_does() {
	let air = Fn(4, Everything);
	let info = analyze(&air).expect("valid AIR");
	let mut rng = 0x5eed_1a2e_u64;
	let weights: Vec<Ext> = info.constraints.iter().map(|_| ext(&mut rng)).collect();
	let challenges: Vec<Ext> = (0..4).map(|_| ext(&mut rng)).collect();
	// LANES random points: every value differs from lane to lane.
	let points: Vec<(Vec<Ext>, Vec<Ext>, [Ext; 4], Vec<Ext>)> = (0..LANES)
		.map(|_| {
			let cur = (0..4).map(|_| ext(&mut rng)).collect();
			let next = (0..4).map(|_| ext(&mut rng)).collect();
			let selectors = [0; 4].map(|_| ext(&mut rng));
			let bits = (0..2).map(|_| ext(&mut rng)).collect();
			(cur, next, selectors, bits)
		})
		.collect();
	let lanes = |f: &dyn core::ops::Fn(usize) -> Ext| Lanes(core::array::from_fn(f));
	let cur: Vec<Lanes> = (0..4).map(|k| lanes(&|l| points[l].0[k])).collect();
	let next: Vec<Lanes> = (0..4).map(|k| lanes(&|l| points[l].1[k])).collect();
	let selectors = [0, 1, 2, 3].map(|s| lanes(&|l| points[l].2[s]));
	let bits: Vec<Lanes> = (0..2).map(|b| lanes(&|l| points[l].3[b])).collect();
	let batch = Values { cur: &cur, next: &next, selectors, index_bits: &bits, challenges: &challenges };
	let (q, (sends, receives)) = combine_with_leaves(&air, batch, &weights).expect("one weight per constraint");
	for (l, (cur, next, selectors, bits)) in points.iter().enumerate() {
		let one = Values { cur, next, selectors: *selectors, index_bits: bits, challenges: &challenges };
		let (q1, (s1, r1)) = combine_with_leaves(&air, one, &weights).expect("one weight per constraint");
		assert_eq!((q.0[l], sends.0[l], receives.0[l]), (q1, s1, r1), "lane {l}");
		// Not a vacuous comparison: the terms differ from lane to lane.
		assert_ne!(q.0[l], q.0[(l + 1) % LANES]);
	}
	let expected = Err(AirError::ConstraintCountChanged { expected: weights.len() - 1, found: weights.len() });
	assert_eq!(combine_with_leaves(&air, batch, &weights[1..]).map(|_| ()), expected);
}

/// Random values of three columns and their next row, the selectors, four challenges and four
/// constraint weights.
struct Point3 {
	cur: Vec<Ext>,
	next: Vec<Ext>,
	selectors: [Ext; 4],
	challenges: Vec<Ext>,
	w: Vec<Ext>,
}

impl Point3 {
	fn random(seed: u64) -> Point3 {
		let mut rng = seed;
		let cur = (0..3).map(|_| ext(&mut rng)).collect();
		let next = (0..3).map(|_| ext(&mut rng)).collect();
		let selectors = [0; 4].map(|_| ext(&mut rng));
		let challenges = (0..4).map(|_| ext(&mut rng)).collect();
		let w = (0..4).map(|_| ext(&mut rng)).collect();
		Point3 { cur, next, selectors, challenges, w }
	}
}

constraints!(Interleaved, |b| {
	b.interact(3, agentic_air::Direction::Send, b.cur(0), &[b.cur(1)]);
	b.assert_zero(b.cur(1) * b.cur(2));
	b.interact(4, agentic_air::Direction::Receive, b.cur(2), &[b.cur(0), b.cur(1)]);
	b.assert_transition(b.next(0) + b.cur(1));
});

#[test]
fn combine_and_the_leaves_are_the_formulas_written_out() {
	// Interactions between the assertions, and `active` outside {0, 1}: the AIR's own
	// constraints take the first weights in assertion order, the gate checks the rest, each
	// gate check times `active`.
	let air = Fn(3, Interleaved);
	let Point3 { cur, next, selectors, challenges, w } = Point3::random(0xa11ce);
	let values = Values { cur: &cur, next: &next, selectors, index_bits: &[], challenges: &challenges };
	let (q, (sends, receives)) = combine_with_leaves(&air, values, &w).expect("four weights");

	let active = selectors[3];
	let one = Ext::one();
	let m = |a: Ext, b: Ext| a.mul(&b);
	let gate_check = |g: Ext| m(g, g).add(&g);
	let own = m(w[0], m(cur[1], cur[2])).add(&m(w[1], m(active, next[0].add(&cur[1]))));
	let gates = m(active, m(w[2], gate_check(cur[0])).add(&m(w[3], gate_check(cur[2]))));
	assert_eq!(q, own.add(&gates));
	let tag = |bus: u32| Ext::from(Base::from_value(bus));
	let (z, beta) = (challenges[0], &challenges[1..]);
	let send_fingerprint = z.add(&m(beta[0], tag(3))).add(&m(beta[1], cur[1]));
	let receive_fingerprint = z.add(&m(beta[0], tag(4))).add(&m(beta[1], cur[0])).add(&m(beta[2], cur[1]));
	let factor = |g: Ext, f: Ext| m(g, f).add(&one).add(&g);
	let leaf = |product: Ext| m(active, product).add(&one).add(&active);
	assert_eq!(sends, leaf(factor(cur[0], send_fingerprint)));
	assert_eq!(receives, leaf(factor(cur[2], receive_fingerprint)));
	// Another split of the same weights is another sum.
	let swapped = [w[0], w[2], w[1], w[3]];
	assert_ne!(combine(&air, values, &swapped), Ok(q));
}

constraints!(SkipsWhereUnwanted, |b| {
	b.interact(3, agentic_air::Direction::Send, b.cur(0), &[b.cur(1)]);
	if b.wants_constraints() {
		b.assert_zero(b.cur(1) * b.cur(2));
	}
	b.interact(4, agentic_air::Direction::Receive, b.cur(2), &[b.cur(0), b.cur(1)]);
	if b.wants_constraints() {
		b.assert_transition(b.next(0) + b.cur(1));
	}
});

/// An AIR may skip its constraints where the builder does not want them: the analysis, the
/// combination and the bus leaves are those of the same AIR asserting them always, and only
/// the leaves-alone evaluations do not want them.
#[test]
fn constraints_skipped_where_unwanted_change_nothing() {
	use agentic_air::{bus_leaves, interaction_products};
	let (always, skips) = (Fn(3, Interleaved), Fn(3, SkipsWhereUnwanted));
	assert_eq!(analyze(&always), analyze(&skips));
	let Point3 { cur, next, selectors, challenges, w } = Point3::random(0x5c1b);
	let values = Values { cur: &cur, next: &next, selectors, index_bits: &[], challenges: &challenges };
	assert_eq!(combine_with_leaves(&skips, values, &w), combine_with_leaves(&always, values, &w));
	assert_eq!(bus_leaves(&skips, values), bus_leaves(&always, values));
	assert_eq!(interaction_products(&skips, values), interaction_products(&always, values));
	// A lying AIR, one that skips a constraint where it is wanted, is another combination.
	constraints!(SkipsAlways, |b| {
		b.interact(3, agentic_air::Direction::Send, b.cur(0), &[b.cur(1)]);
		b.interact(4, agentic_air::Direction::Receive, b.cur(2), &[b.cur(0), b.cur(1)]);
		b.assert_transition(b.next(0) + b.cur(1));
	});
	assert!(combine_with_leaves(&Fn(3, SkipsAlways), values, &w[..3]).map(|(q, _)| q) != combine(&always, values, &w));
	// The leaves alone are evaluated without wanting the constraints: an AIR that (wrongly)
	// interacts only where they are wanted shows it.
	constraints!(InteractsWhereWanted, |b| {
		if b.wants_constraints() {
			b.interact(3, agentic_air::Direction::Send, b.cur(0), &[b.cur(1)]);
		}
		b.interact(4, agentic_air::Direction::Receive, b.cur(2), &[b.cur(0), b.cur(1)]);
	});
	let wrong = Fn(3, InteractsWhereWanted);
	assert_eq!(combine_with_leaves(&wrong, values, &w[2..]).map(|(_, leaves)| leaves), Ok(bus_leaves(&always, values)));
	assert_ne!(bus_leaves(&wrong, values), bus_leaves(&always, values));
	assert_ne!(interaction_products(&wrong, values), interaction_products(&always, values));
}

#[test]
fn interactions_add_gate_checks_and_a_bus_degree() {
	use agentic_air::ConstraintKind;
	let info = analyze(&Fn(4, Bus)).expect("valid AIR");
	assert!(info.interacts());
	let kinds: Vec<(ConstraintKind, u32)> = info.constraints.iter().map(|c| (c.kind, c.degree)).collect();
	assert_eq!(
		kinds,
		vec![
			(ConstraintKind::Air, 2),
			(ConstraintKind::Gate(0), 3),
			(ConstraintKind::Gate(1), 3),
			(ConstraintKind::Gate(2), 1)
		]
	);
	// Sends: 3; receives: (gate 1 · field 1) + (gate 0 · field 1) = 3: active (1) + 3.
	assert_eq!(info.bus_degree, 4);
	assert_eq!(info.max_degree, 4, "the bus leaves set the degree");
	assert!(info.next_columns.is_empty(), "the bus reads no next row");
	assert_eq!(info.max_fields(), 2);
	assert!(info.unused_columns.is_empty(), "interaction fields count as uses");
}

constraints!(FieldReadsNext, |b| {
	b.interact(1, agentic_air::Direction::Send, b.one(), &[b.next(0)]);
});
constraints!(FieldOutOfRange, |b| {
	b.interact(1, agentic_air::Direction::Send, b.one(), &[b.cur(9)]);
});
constraints!(TooManyFields, |b| {
	let fields: Vec<_> = (0..33).map(|_| b.cur(0)).collect();
	b.interact(1, agentic_air::Direction::Send, b.one(), &fields);
});
constraints!(HighBit, |b| {
	b.assert_zero(b.cur(0) + b.index_bit(30));
});
constraints!(HeavyBus, |b| {
	// Eight receives of degree 2 each: the bus leaves would have degree 1 + 16.
	for _ in 0..8 {
		b.interact(1, agentic_air::Direction::Receive, b.cur(0), &[b.cur(0)]);
	}
});

#[test]
fn malformed_interactions_are_refused() {
	assert_eq!(analyze(&Fn(1, FieldReadsNext)), Err(AirError::BadInteraction { interaction: 0 }));
	assert_eq!(analyze(&Fn(1, FieldOutOfRange)), Err(AirError::BadInteraction { interaction: 0 }));
	assert_eq!(analyze(&Fn(1, TooManyFields)), Err(AirError::BadInteraction { interaction: 0 }));
	assert_eq!(analyze(&Fn(1, HighBit)), Err(AirError::IndexBitOutOfRange(30)));
	assert_eq!(analyze(&Fn(1, HeavyBus)), Err(AirError::BusDegreeTooHigh(17)));
}

#[test]
fn the_row_checker_checks_gates_on_active_rows() {
	let air = Fn(4, Bus);
	let bits = |v: &[u32]| v.iter().map(|&x| Base::from_value(x)).collect::<Vec<_>>();
	let mut trace = vec![bits(&[1, 2, 3, 4]), bits(&[5, 6, 7, 8]), bits(&[1, 0, 1, 0]), bits(&[0; 4])];
	assert_eq!(check_trace(&air, &trace, 3), Ok(()));
	// A gate of 2 is caught by the AIR's own booleanity constraint first.
	trace[2][1] = Base::from_value(2);
	assert_eq!(check_trace(&air, &trace, 3), Err(RowViolation { row: 1, constraint: 0 }));
}
