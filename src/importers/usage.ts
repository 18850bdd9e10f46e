/** Help text of the export commands, kept apart so `broadsheet help` loads no exporter. */

/** The commands' lines of `broadsheet help`. */
export const EXPORT_USAGE = `  export wxr [--output FILE]
                          Export everything as a WordPress export (WXR 1.2): articles and pages of every status,
                          bylines, sections, tags, and comments of every status. Standard output by default.
  export json [--output FILE]
                          Export everything in Broadsheet's own JSON format, for a backup or another Broadsheet.
                          Both exports include commenters' and newsroom users' email addresses: keep them private.
  import json FILE        Import a Broadsheet JSON export; importing the same file again updates, never duplicates.
      --dry-run           Read and report without writing anything.`;
