from sharedoutcomes.columnar_analysis._stars import cohort_change, distance_travelled, readings, snapshot, COHORT_COLUMNS, DISTANCE_COLUMNS
from sharedoutcomes.columnar_analysis._change import change, CHANGE_COLUMNS, SUMMARY_COLUMNS
