//! PNG charts of check-in ratings, drawn in memory with plotters and a font
//! that ships with rapport (DejaVu Sans), so no system fonts are needed.

use std::sync::OnceLock;

use anyhow::Context;
use plotters::prelude::*;
use plotters::style::FontStyle;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 360;
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const COLORS: [RGBColor; 4] = [
    RGBColor(214, 96, 77),
    RGBColor(67, 147, 195),
    RGBColor(90, 174, 97),
    RGBColor(153, 112, 171),
];

/// One person's ratings: (round index, rating 1–10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(usize, i64)>,
}

/// A line chart of ratings per person, one point per round, as PNG bytes;
/// `days` names each round's day on the x axis, the y axis runs 1–10.
pub fn ratings_png(title: &str, series: &[Series], days: &[String]) -> anyhow::Result<Vec<u8>> {
    register_font()?;
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut rgb, title, series, days)
        .map_err(|error| anyhow::anyhow!("cannot draw chart: {error}"))?;
    encode_png(&rgb)
}

fn register_font() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok()
    });
    anyhow::ensure!(ok, "the bundled chart font could not be loaded");
    Ok(())
}

fn draw(
    rgb: &mut [u8],
    title: &str,
    series: &[Series],
    days: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    // A single round still gets an axis with some width.
    let rounds = days.len().max(2);
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        // Room for the last day's label, centred under the last point.
        .margin_right(36)
        .x_label_area_size(24)
        .y_label_area_size(32)
        .build_cartesian_2d(0..rounds - 1, 1i64..10i64)?;
    chart
        .configure_mesh()
        .x_labels(rounds.min(12))
        .x_label_formatter(&|index| days.get(*index).cloned().unwrap_or_default())
        .y_labels(10)
        .label_style(("sans-serif", 14))
        .draw()?;
    for (person, color) in series.iter().zip(COLORS.iter().cycle()) {
        let style = ShapeStyle::from(color).stroke_width(3);
        chart
            .draw_series(LineSeries::new(person.points.iter().copied(), style))?
            .label(person.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style));
        chart.draw_series(
            person
                .points
                .iter()
                .map(|&(x, y)| Circle::new((x, y), 4, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()?;
    root.present()?;
    Ok(())
}

fn encode_png(rgb: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("cannot start PNG")?;
    writer.write_image_data(rgb).context("cannot write PNG")?;
    writer.finish().context("cannot finish PNG")?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_is_a_png_of_the_right_size() {
        let series = vec![
            Series {
                name: "ana".into(),
                points: vec![(0, 5), (1, 7), (2, 8)],
            },
            Series {
                name: "ben".into(),
                points: vec![(0, 4), (2, 6)],
            },
        ];
        let days = ["1 Mar", "8 Mar", "15 Mar"].map(String::from);
        let png = ratings_png("How connected you felt", &series, &days).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
    }
}
