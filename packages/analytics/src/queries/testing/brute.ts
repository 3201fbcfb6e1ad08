/**
 * Local-day arithmetic the brute-force references of the queries (brute-*.ts) share: which local day an
 * instant falls on, where a local day starts, and day arithmetic — core's time-zone module, under the
 * names the references read best with.
 */
export {
  addDaysToLocalDate as addDays,
  localDateOf as localDay,
  startOfLocalDate as localMidnight,
} from '@pitchline/core/time-zone';
