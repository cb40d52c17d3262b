package dockercoins.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.testsupport.FreePorts;
import dockercoins.testsupport.RequiredTools;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watches a running stack the way people do: the web UI in a real browser, the metrics
 * with a real Prometheus scraping every service.
 */
class MonitoringEndToEndTests {

	private static final String VERSION = "v-e2e";

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static LaunchedStack stack;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void launch() throws IOException {
		// Faster than the defaults, so that coins come often and the rate is steady.
		stack = LaunchedStack.start(3, "--workers", "3", "--env", "DOCKERCOINS_VERSION=" + VERSION, "--env",
				"WORKER_SLEEP=20ms", "--env", "RNG_LATENCY=20ms", "--env", "HASHER_LATENCY=20ms");
		stack.awaitReady();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void webUiShowsTheMiningLive() throws IOException {
		RequiredTools.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"No browser. Install Chromium to run it: apt-get install chromium chromium-driver");
		WebDriver browser = headlessChromium();
		try {
			browser.get("http://127.0.0.1:" + stack.port + "/");
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
			assertThat(browser.getCurrentUrl()).endsWith("/index.html");
			wait.until((page) -> Integer.parseInt(attribute(page, "#graph", "data-points", "0")) >= 3);
			assertThat(curvePixels(browser)).as("pixels of the speed curve").isGreaterThan(50);
			String speed = browser.findElement(By.id("speed")).getText();
			// Its value against the model: WebUiStoryEndToEndTests.
			assertThat(speed).matches("~\\d+\\.\\d hashes/second");
			int coins = coins(browser);
			wait.until((page) -> coins(page) > coins);
			WebElement row = wait
				.until((page) -> page.findElement(By.cssSelector("#fleet tr[data-version='" + VERSION + "']")));
			assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo("3");
			assertThat(browser.findElement(By.id("status")).getText()).isEmpty();
		}
		catch (RuntimeException | AssertionError ex) {
			Path screenshot = Path.of("target", "webui-failure.png");
			Files.write(screenshot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
			throw new AssertionError(ex.getMessage() + " (screenshot: " + screenshot.toAbsolutePath() + ")", ex);
		}
		finally {
			browser.quit();
		}
	}

	@Test
	void prometheusScrapesEveryServiceAndSeesTheHashRate(@TempDir Path directory) throws Exception {
		RequiredTools.require(isInstalled("prometheus"),
				"No Prometheus. Install it to run it: apt-get install prometheus");
		Path swarmConfig = Tools.REPOSITORY.resolve("prometheus/prometheus.yml");
		assertThat(run("promtool", "check", "config", swarmConfig.toString())).isZero();
		Path localConfig = directory.resolve("prometheus.yml");
		Files.writeString(localConfig, scrapingTheLaunchedStack(swarmConfig));
		int port = FreePorts.one();
		Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + localConfig,
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("prometheus.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(90))
				.ignoreExceptions()
				.until(() -> value(query(port, "count(up == 1)")) == 4);
			long hashesBefore = stack.hashes();
			long start = System.nanoTime();
			Thread.sleep(Duration.ofSeconds(30));
			double jsonRate = (stack.hashes() - hashesBefore) / ((System.nanoTime() - start) / 1e9);
			double prometheusRate = value(query(port, "sum(rate(dockercoins_hashes_total[30s]))"));
			System.out.printf("Hash rate over 30 s: %.1f/s from /json, %.1f/s from Prometheus%n", jsonRate,
					prometheusRate);
			assertThat(prometheusRate).isCloseTo(jsonRate, Percentage.withPercentage(15));
			for (String documented : documentedQueries()) {
				assertThat(values(query(port, documented))).as(documented).isNotEmpty().allMatch(Double::isFinite);
			}
			String byVersion = query(port, "sum by (version) (rate(dockercoins_hashes_total[1m]))");
			assertThat(byVersion).contains("\"version\":\"" + VERSION + "\"");
			String rngWait = query(port,
					"histogram_quantile(0.95, sum by (le) (rate(dockercoins_slot_wait_seconds_bucket{service=\"rng\"}[1m])))");
			assertThat(value(rngWait)).isFinite().isNotNegative();
		}
		finally {
			prometheus.destroy();
			prometheus.waitFor(30, TimeUnit.SECONDS);
		}
	}

	/** The queries docs/reference.md suggests, from its table after "Queries to try". */
	private static List<String> documentedQueries() throws IOException {
		String readme = Files.readString(Tools.REPOSITORY.resolve("docs/reference.md"));
		String table = readme.substring(readme.indexOf("Queries to try"));
		table = table.substring(0, table.indexOf("\n\n", table.indexOf("| ---")));
		List<String> queries = Pattern.compile("\\| `([^`]+)` \\|$", Pattern.MULTILINE)
			.matcher(table)
			.results()
			.map((result) -> result.group(1))
			.toList();
		assertThat(queries).hasSizeGreaterThanOrEqualTo(3);
		return queries;
	}

	/**
	 * The Swarm configuration, with each service's DNS discovery replaced by the
	 * launcher's port.
	 */
	@SuppressWarnings("unchecked")
	private static String scrapingTheLaunchedStack(Path swarmConfig) throws IOException {
		Map<String, Integer> ports = Map.of("webui", stack.port, "rng", stack.port + 1, "hasher", stack.port + 2,
				"worker", stack.port + 3);
		Yaml yaml = new Yaml();
		Map<String, Object> config = yaml.load(Files.readString(swarmConfig));
		for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
			Map<String, Object> discovery = ((List<Map<String, Object>>) job.remove("dns_sd_configs")).get(0);
			assertThat((List<String>) discovery.get("names")).containsExactly("tasks." + job.get("job_name"));
			job.put("static_configs",
					List.of(Map.of("targets", List.of("127.0.0.1:" + ports.get((String) job.get("job_name"))))));
		}
		return yaml.dump(config);
	}

	private String query(int port, String expression) throws IOException, InterruptedException {
		URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
				+ URLEncoder.encode(expression, StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	/** The value of a query answering one sample, a number. */
	private static double value(String answer) {
		List<Double> values = values(answer);
		assertThat(values).as(answer).hasSize(1);
		return values.get(0);
	}

	/** The values of the samples a successful query answers. */
	private static List<Double> values(String answer) {
		assertThat(answer).contains("\"status\":\"success\"");
		return Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]")
			.matcher(answer)
			.results()
			.map((result) -> Double.parseDouble(result.group(1)))
			.toList();
	}

	private static WebDriver headlessChromium() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// This machine's network is closed: no background connections, no first-run work.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1200,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

	private static String attribute(WebDriver page, String selector, String name, String otherwise) {
		String value = page.findElement(By.cssSelector(selector)).getDomAttribute(name);
		return (value != null) ? value : otherwise;
	}

	/**
	 * Counts the pixels drawn in the first version's colour (Okabe-Ito blue) on the
	 * graph's canvas.
	 */
	private static long curvePixels(WebDriver browser) {
		return (Long) ((JavascriptExecutor) browser).executeScript("""
				const canvas = document.querySelector('#graph canvas');
				const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
				let count = 0;
				for (let i = 0; i < pixels.length; i += 4) {
				  if (pixels[i] === 0 && pixels[i + 1] === 114 && pixels[i + 2] === 178) count++;
				}
				return count;""");
	}

	private static int coins(WebDriver page) {
		String text = page.findElement(By.id("coins")).getText();
		return text.isEmpty() ? 0 : Integer.parseInt(text.substring(0, text.indexOf(' ')));
	}

	private static boolean isInstalled(String command) {
		return System.getenv("PATH") != null && List.of(System.getenv("PATH").split(File.pathSeparator))
			.stream()
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, command)));
	}

	private static int run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).inheritIO().start();
		return process.waitFor();
	}

}
