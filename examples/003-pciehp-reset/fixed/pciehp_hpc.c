// SPDX-License-Identifier: GPL-2.0+
/*
 * 003-pciehp-reset, fixed: pciehp's interrupt thread and slot reset,
 * unchanged. The IRQ thread still holds ctrl->reset_lock for read while
 * it brings the slot down, and a slot reset still takes it for write with
 * the device lock held; but the slot-down path now lets go of reset_lock
 * while drivers are unbound (pciehp_ctrl.c), so reset_lock is never held
 * when a device lock is taken.
 */
/* expect: none */

#include "scenario.h"

#define PCIEHP_EVENT_MASK	(PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC)

irqreturn_t pciehp_isr(int irq, void *dev_id)
{
	struct controller *ctrl = dev_id;
	struct pci_dev *port = ctrl->pcie->port;
	u16 status;

	pcie_capability_read_word(port, PCI_EXP_SLTSTA, &status);
	status &= PCIEHP_EVENT_MASK;
	if (!status)
		return IRQ_NONE;

	pcie_capability_write_word(port, PCI_EXP_SLTSTA, status);
	atomic_or(status, &ctrl->pending_events);
	return IRQ_WAKE_THREAD;
}

irqreturn_t pciehp_ist(int irq, void *dev_id)
{
	struct controller *ctrl = dev_id;
	u32 events;

	events = atomic_xchg(&ctrl->pending_events, 0);
	if (!events)
		return IRQ_NONE;

	/* Keep slot resets, whose link flaps look like events, out. */
	down_read(&ctrl->reset_lock);
	if (events & DISABLE_SLOT)
		pciehp_handle_disable_request(ctrl);
	else if (events & PCIEHP_EVENT_MASK)
		pciehp_handle_presence_or_link_change(ctrl, events);
	up_read(&ctrl->reset_lock);

	return IRQ_HANDLED;
}

static void pciehp_event_ints(struct controller *ctrl, bool enable)
{
	u16 bits = PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_DLLSCE;

	if (enable)
		pcie_capability_set_word(ctrl->pcie->port, PCI_EXP_SLTCTL, bits);
	else
		pcie_capability_clear_word(ctrl->pcie->port, PCI_EXP_SLTCTL, bits);
}

int pciehp_reset_slot(struct hotplug_slot *hotplug_slot, bool probe)
{
	struct controller *ctrl = to_ctrl(hotplug_slot);
	int rc;

	if (probe)
		return 0;

	down_write(&ctrl->reset_lock);

	/* The reset drops the link: don't take that for a hot remove. */
	pciehp_event_ints(ctrl, false);
	rc = pci_bridge_secondary_bus_reset(ctrl->pcie->port);
	pcie_capability_write_word(ctrl->pcie->port, PCI_EXP_SLTSTA,
				   PCIEHP_EVENT_MASK);
	pciehp_event_ints(ctrl, true);

	up_write(&ctrl->reset_lock);
	return rc;
}

struct controller *pcie_init(struct pcie_device *dev)
{
	struct controller *ctrl;

	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return NULL;

	ctrl->pcie = dev;
	ctrl->state = ON_STATE;
	mutex_init(&ctrl->state_lock);
	init_rwsem(&ctrl->reset_lock);
	atomic_set(&ctrl->pending_events, 0);
	return ctrl;
}
