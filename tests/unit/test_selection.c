/* test_selection.c - the selection rule of modules/measures/measures.h, per
 * level: a measure is required ("ska") when, for an aspect it protects, its
 * minimum is 0 or the system's level reaches it; recommended ("bör") one
 * level below.  Every minimum against every level, for each aspect alone,
 * then aspects together. */
#include "base/base.h"

#include "modules/measures/measures.h"
#include "tap.h"

#define N MIN_NONE
#define U LEVEL_NOT_SET

/* covers R-4-02 (each measure states the level from which it is required)
 * and R-16-03 (what is proposed follows from the classification) */
TEST(one_aspect_every_minimum_every_level)
{
	static const int mins[] = { N, 0, 1, 2, 3 };
	static const int levels[] = { U, 0, 1, 2, 3, 4 };
	int wrong = 0, wrong_rec = 0, cases = 0;

	for (int a = 0; a < ASPECTS; a++)
		for (size_t i = 0; i < ARRAY_SIZE(mins); i++)
			for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
				int min[ASPECTS] = { N, N, N, N }, lv[ASPECTS] = { U, U, U, U };
				int want, want_rec;

				min[a] = mins[i];
				lv[a] = levels[j];
				want = mins[i] == 0 || (mins[i] > 0 && levels[j] >= mins[i]);
				want_rec = !want && mins[i] > 0 && levels[j] != U &&
					   levels[j] == mins[i] - 1;
				wrong += measure_required(min, lv) != want;
				wrong_rec += measure_recommended(min, lv) != want_rec;
				cases++;
			}
	is_int(cases, 120, "4 aspects x 5 minimums x 6 levels");
	is_int(wrong, 0, "required exactly when the minimum is 0 or the level reaches it");
	is_int(wrong_rec, 0, "recommended exactly one level below where it is required");
}

TEST(named_cases)
{
	int none[ASPECTS] = { U, U, U, U };
	int k3[ASPECTS] = { 3, U, U, U };
	int k1t4[ASPECTS] = { 1, U, 4, U };
	int base[ASPECTS] = { 0, 0, N, N };
	int k2[ASPECTS] = { 2, N, N, N };
	int k2t3[ASPECTS] = { 2, N, 3, N };
	int s1[ASPECTS] = { N, N, N, 1 };

	ok(measure_required(base, none), "a baseline measure (min 0) binds an unclassified system");
	ok(!measure_required(k2, none), "a K2 measure does not bind an unclassified system");
	ok(measure_required(k2, k3), "K3 reaches a K2 measure");
	ok(!measure_required(k2, k1t4), "K1 does not reach K2, whatever T is");
	ok(measure_required(k2t3, k1t4), "T4 reaches a measure required from T3");
	ok(measure_recommended(k2, k1t4), "K1: a K2 measure is recommended (bör)");
	ok(!measure_recommended(k2, none), "not recommended without a level");
	ok(!measure_required(s1, k3) && !measure_recommended(s1, k3),
	   "an aspect the system has no level for binds nothing");
	ok(!measure_recommended(base, none), "a required measure is not also recommended");
}

int main(void)
{
	return tap_run();
}
