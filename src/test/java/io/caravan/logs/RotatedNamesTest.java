package io.caravan.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RotatedNamesTest {

    @TempDir
    Path dir;

    Path touch(String name, int ageSeconds) throws IOException {
        Path p = Files.writeString(dir.resolve(name), name);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
        return p;
    }

    static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void theDefaultsNameLogrotateKubeApiserverAndKubeletRotationsPlainFirstNewestFirst() throws IOException {
        touch("audit.log", 0);
        touch("audit.log.1", 10);
        touch("audit.log.2.gz", 20);
        touch("audit.log-20261202", 5);
        touch("audit.log-20261201.gz", 30);
        touch("audit-2026-12-02T11-37-27.123.log", 1);
        touch("audit-2026-12-01T09-00-00.000.log.gz", 40);
        touch("other.log", 0);
        touch("auditx.log", 0);
        touch("audit.json", 0);
        assertThat(names(RotatedNames.defaults().of(dir.resolve("audit.log")))).containsExactly(
                "audit-2026-12-02T11-37-27.123.log", "audit.log-20261202", "audit.log.1",
                "audit.log.2.gz", "audit.log-20261201.gz", "audit-2026-12-01T09-00-00.000.log.gz");

        touch("0.log", 0);
        touch("0.log.20261202-113727", 3);
        touch("0.log.20261201-090000.gz", 9);
        touch("1.log", 0);
        assertThat(names(RotatedNames.defaults().of(dir.resolve("0.log")))).containsExactly("0.log.20261202-113727", "0.log.20261201-090000.gz");
    }

    @Test
    void configuredPatternsAndGlobCharactersInTheNameAreTakenLiterally() throws IOException {
        touch("app[1].log", 0);
        touch("app[1].log.old", 0);
        touch("app1.log.old", 0);
        touch("app[1]-2026.log", 0);
        assertThat(names(RotatedNames.parse("<name>.old, <base>-*<ext>").of(dir.resolve("app[1].log"))))
                .containsExactlyInAnyOrder("app[1].log.old", "app[1]-2026.log");
        assertThat(RotatedNames.parse("").of(dir.resolve("app[1].log"))).isEmpty();
        assertThat(RotatedNames.defaults().of(dir.resolve("missing/x.log"))).isEmpty();
    }

    @Test
    void patternsThatNameNoFileOrAnotherDirectoryAreRejected() {
        assertThatThrownBy(() -> RotatedNames.parse("<name>.1,*.gz")).hasMessageContaining("'*.gz' names no file");
        assertThatThrownBy(() -> RotatedNames.parse("../old/<name>")).hasMessageContaining("file's own directory");
    }
}
