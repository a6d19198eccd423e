# make bench: added ns per CoW fault over baseline, one bar per tracer.
set terminal pngcairo size 1200,520 font ",10" noenhanced
set output "tests/bench/results.png"
set title "Cost added to each copy-on-write fault (QEMU TCG -icount: emulated ns, one boot)"
set ylabel "ns per fault over baseline"
set style fill solid 0.7
set boxwidth 0.6
set yrange [0:*]
set grid ytics
set xtics rotate by -35
plot "tests/bench/results.dat" using 0:2:xtic(1) with boxes notitle lc rgb "#4477aa", \
     "" using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle
