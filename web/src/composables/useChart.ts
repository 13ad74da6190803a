// One ECharts instance per element: registers only the charts and components
// the console uses, resizes with its container, disposes with the component.
import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue'
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  MarkAreaComponent,
  MarkLineComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  MarkAreaComponent,
  MarkLineComponent,
  CanvasRenderer,
])

export type ChartOption = echarts.EChartsCoreOption

export function useChart(el: Ref<HTMLElement | null>, option: Ref<ChartOption | null>) {
  const chart = shallowRef<echarts.ECharts | null>(null)
  let observer: ResizeObserver | null = null

  function render() {
    if (!el.value || !option.value) return
    if (!chart.value) chart.value = echarts.init(el.value)
    // Short animations: the console is a tool; figures should settle at once.
    chart.value.setOption({ animationDuration: 300, animationDurationUpdate: 200, ...option.value }, true)
  }

  onMounted(() => {
    render()
    if (el.value && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart.value?.resize())
      observer.observe(el.value)
    }
  })
  // After the DOM update: the element may appear only once the data that fills the chart has arrived.
  watch([el, option], render, { flush: 'post' })
  onBeforeUnmount(() => {
    observer?.disconnect()
    chart.value?.dispose()
    chart.value = null
  })
  return chart
}
