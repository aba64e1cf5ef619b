package io.crmkpi.files;

import io.crmkpi.settings.Role;
import io.crmkpi.settings.Setting;
import io.crmkpi.settings.SettingType;
import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/** {@code jdbc:crmkpi:files:<folder>}. */
public final class FilesSourceFactory implements SourceFactory {

  static final Setting<String> PROFILE = Setting.of("profile", SettingType.text("a file format name, e.g. canonical-csv"),
      Role.DATA, null, "force one file format for every file of a `files:` folder (e.g. `canonical-csv`)")
      .defaultDescribedAs("detected per file");
  /** Zone of the wall-clock date-times written in export files (CRMs export in the account's zone). */
  public static final Setting<ZoneId> EXPORT_TIMEZONE = Setting.of("export_timezone", SettingType.timeZone(),
      Role.DATA, null, "time zone of the date-times written in CRM export files (they carry no offset)")
      .defaultDescribedAs("`timezone`");
  public static final Setting<String> STAGE_KINDS = Setting.of("stage_kinds",
      SettingType.text("Stage name:kind pairs, e.g. Signed:won,Refused:lost"), Role.DATA, null,
      "kinds of custom stages in export files (`Stage name:won`, `:lost` or `:open`, comma-separated)");
  public static final Setting<Path> MAPPING = Setting.of("mapping", SettingType.path("a YAML file path"), Role.DATA,
      null, "a mapping file (YAML) for export files of unknown layout").defaultDescribedAs("`<file>.mapping.yaml` beside the file");
  static final List<Setting<?>> SETTINGS = List.of(PROFILE, EXPORT_TIMEZONE, STAGE_KINDS, MAPPING);

  @Override
  public String kind() {
    return FilesSource.NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return SETTINGS;
  }

  @Override
  public Source create(String target, SourceContext context) throws SourceException {
    String t = target == null ? "" : target.strip();
    if (t.isEmpty()) {
      throw new SourceException("jdbc:crmkpi:files:<folder> needs a folder of CSV or export files, "
          + "e.g. jdbc:crmkpi:files:/data/crm-exports");
    }
    if (t.equals("~") || t.startsWith("~/")) {
      t = System.getProperty("user.home") + t.substring(1);
    }
    try {
      Path folder = Path.of(t);
      FilesSource.list(folder); // fail at connect, not at the first query
      return new FilesSource(folder);
    } catch (InvalidPathException e) {
      throw new SourceException("'" + target + "' is not a valid folder path; jdbc:crmkpi:files:<folder> needs a "
          + "folder of CSV or export files");
    }
  }
}
