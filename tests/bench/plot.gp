# make bench: added ns per CoW fault over baseline, one bar per tracer.
# A log scale: the hooks add tens of ns, the tracers with a consumer
# thousands.
set terminal pngcairo size 1280,560 font ",10" noenhanced
set output "tests/bench/results.png"
set title "Cost added to each copy-on-write fault (QEMU TCG -icount: emulated ns, one boot)"
set ylabel "ns per fault over baseline (log scale)"
set style fill solid 0.7
set boxwidth 0.6
set logscale y
set yrange [50:60000]
set grid ytics
set xtics rotate by -35
set rmargin 10
set bmargin 12
plot "tests/bench/results.dat" using 0:2:xtic(1) with boxes notitle lc rgb "#4477aa", \
     "" using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle
