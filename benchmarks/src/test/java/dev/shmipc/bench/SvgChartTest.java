package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartTest {
    @Test
    void drawsOneBarPerRowInWellFormedSvg() throws Exception {
        Results results = new Results();
        results.add(Workload.PING_PONG, 1, "shm-spin", 0.4, 1.0);
        results.add(Workload.PING_PONG, 1, "uds", 20, 60);
        results.add(Workload.PING_PONG, 1, "tcp", 30, 90);
        results.add(Workload.BULK, 1, InProcess.MEMCPY, 10, Double.NaN);
        results.add(Workload.BULK, 1, "uds", 4, Double.NaN);

        String svg = SvgChart.draw(results, "a <caption> & more");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(1 + 5, doc.getElementsByTagName("rect").getLength(), "background and five bars");
        assertTrue(svg.contains("a &lt;caption&gt; &amp; more"));
        assertTrue(svg.contains("50x vs uds"), "shm-spin is 50 times faster than uds");
    }

    @Test
    void labelsEachBarWithTheMedianOfThePerTrialRatios() {
        Results results = new Results();
        results.add(Workload.PING_PONG, 1, "uds", 10, Double.NaN);
        results.add(Workload.PING_PONG, 1, "shm-spin", 1, Double.NaN);
        results.add(Workload.PING_PONG, 2, "uds", 30, Double.NaN);
        results.add(Workload.PING_PONG, 2, "shm-spin", 1.5, Double.NaN);
        String svg = SvgChart.draw(results, "two trials");
        assertTrue(svg.contains("(15x vs uds)"), "10x and 20x per trial; the medians 20 / 1.25 would say 16x: " + svg);
    }

    @Test
    void theZeroTickOfALinearAxisReadsZero() {
        Results results = new Results();
        results.add(Workload.BULK, 1, "shm-spin", 3, Double.NaN);
        results.add(Workload.BULK, 1, "uds", 2, Double.NaN);
        String svg = SvgChart.draw(results, "bulk");
        assertTrue(svg.contains(">0</text>") && !svg.contains(">0.000</text>"), svg);
    }

    @Test
    void usesALogAxisOnlyWhereTheSpreadNeedsIt() {
        Results wide = new Results();
        wide.add(Workload.PING_PONG, 1, "shm-spin", 0.3, Double.NaN);
        wide.add(Workload.PING_PONG, 1, "uds", 30, Double.NaN);
        assertTrue(SvgChart.draw(wide, "wide").contains("log scale"));

        Results narrow = new Results();
        narrow.add(Workload.BULK, 1, "shm-spin", 3, Double.NaN);
        narrow.add(Workload.BULK, 1, "uds", 2, Double.NaN);
        assertFalse(SvgChart.draw(narrow, "narrow").contains("log scale"));
    }
}
