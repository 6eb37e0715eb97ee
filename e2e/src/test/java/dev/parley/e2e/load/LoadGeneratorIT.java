package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.e2e.relay.RelayServer;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The load generator against the relay over loopback: small loads, checked for zero loss and a sane report. */
class LoadGeneratorIT {

    @TempDir
    Path tmp;

    @Test
    void theShadedJarRunsAgainstARelayChildAndReportsNoLoss() throws Exception {
        String jar = System.getProperty("parley.load.jar", "target/parley-load.jar");
        assertThat(new File(jar)).exists();
        Path out = tmp.resolve("out.json");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "--relay", "--json", "--connections", "20", "--rate", "500",
                "--warmup", "1s", "--duration", "2s", "--drain", "5s")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished within a minute").isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();

        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("ok").booleanValue()).isTrue();
        JsonNode run = root.get("runs").get(0);
        assertThat(run.get("label").textValue()).isEqualTo("relay");
        assertThat(run.at("/connections/reached").intValue()).isEqualTo(20);
        JsonNode m = run.get("messages");
        assertThat(m.get("sent").longValue()).isEqualTo(1500);
        assertThat(m.get("acked").longValue()).isEqualTo(1500);
        assertThat(m.get("delivered").longValue()).isEqualTo(1500);
        for (String zero : List.of("lost", "duplicated", "outOfOrder", "unexpected", "unanswered", "backpressured")) {
            assertThat(m.get(zero).longValue()).as(zero).isZero();
        }
        assertThat(m.get("errors").size()).isZero();
        assertThat(run.at("/latencyMs/count").longValue()).as("window messages only").isEqualTo(1000);
        assertThat(run.at("/latencyMs/p50").doubleValue()).isPositive();
        assertThat(run.at("/latencyMs/max").doubleValue()).isGreaterThanOrEqualTo(run.at("/latencyMs/p99").doubleValue());
        assertThat(run.get("throughput").doubleValue()).isBetween(250.0, 750.0);
        assertThat(stderr).contains("[relay] connected: 20/20 ready");
    }

    @Test
    void baselineReportsTheRelayNextToTheTarget() throws Exception {
        try (RelayServer target = RelayServer.start("127.0.0.1", 0, 2, 65536)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = LoadGeneratorCommand.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));

            int code = cl.execute("--baseline", "--port", Integer.toString(target.address().getPort()),
                    "--connections", "10", "--rate", "200", "--warmup", "1s", "--duration", "1s", "--drain", "5s");

            assertThat(code).as(out + "\n" + err).isZero();
            String report = out.toString();
            assertThat(report.lines().findFirst().orElseThrow()).contains("relay", "server");
            assertThat(report).containsPattern("sent +400 +400");
            assertThat(report).containsPattern("lost +0 +0");
            assertThat(report).containsPattern("result +OK +OK");
        }
    }

    @Test
    void anUnreachableTargetFailsWithOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = LoadGeneratorCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));

        // Port 1 on loopback: nothing listens there, so every connect is refused at once.
        int code = cl.execute("--port", "1", "--connections", "2", "--rate", "10", "--duration", "1s", "--warmup", "0s");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).containsPattern("connect failures +2").contains("FAILED");
        assertThat(err.toString()).contains("connect");
    }
}
